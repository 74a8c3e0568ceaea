//! The audience: comments sent to a live job through the sandbox's admin surface at a steady
//! rate, in even ticks.

use std::time::Duration;

use anyhow::{Result, bail};
use restream_sandbox::Ready;
use serde_json::json;

/// Sends audience comments at `per_second` for `length`, in 20 bursts a second, spread over the
/// job's five destinations; answers how many were sent.
pub async fn send_at(ready: &Ready, job: &str, per_second: u64, length: Duration) -> Result<u64> {
    let http = reqwest::Client::new();
    // The most ticks a second, up to 20, that divide the rate evenly.
    let ticks_per_second = (1..=20.min(per_second.max(1)))
        .rev()
        .find(|t| per_second.is_multiple_of(*t))
        .unwrap_or(1);
    let each = per_second / ticks_per_second;
    let mut ticker = tokio::time::interval(Duration::from_secs(1) / ticks_per_second as u32);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    let ticks = (length.as_secs_f64() * ticks_per_second as f64).round() as u64;
    let mut sent = 0;
    for _ in 0..ticks {
        ticker.tick().await;
        let answer = http
            .post(format!("{}/sandbox/jobs/{job}/comments", ready.base_url))
            .bearer_auth(&ready.admin_token)
            .json(&json!({ "count": each }))
            .send()
            .await?;
        if !answer.status().is_success() {
            bail!("the sandbox refused a burst: {}", answer.status());
        }
        sent += each;
    }
    Ok(sent)
}

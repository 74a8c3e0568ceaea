//! What the overlay's gate costs a busy chat: 10,000 comments admitted and released in batches of
//! 20 (a 2,000/s chat read 100 times a second), with no hold, and with a 2 s hold that keeps the
//! queue at its 5,000-message bound. And the hub around it: the same with a page following.
//!
//! `cargo bench -p restream-overlay --bench gate`

use std::sync::Arc;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use restream_client::{Comment, Platform};
use restream_overlay::gate::{Gate, Rules};
use restream_overlay::hub::{NoAvatars, OverlayHub};
use restream_settings::overlay::OverlaySettings;
use tokio::time::Instant;

const COMMENTS: usize = 10_000;
const BATCH: usize = 20;

fn comments() -> Vec<Comment> {
    (0..COMMENTS)
        .map(|n| Comment {
            id: format!("cmt_{n:020}"),
            platform: [Platform::Twitch, Platform::Kick, Platform::Youtube][n % 3],
            author: format!("viewer_{}", n % 997),
            author_id: Some(format!("id_{}", n % 997)),
            author_avatar: None,
            message: "that play was insane, how did you even see him coming 🔥".to_owned(),
            timestamp: 1_760_000_000_000 + n as i64,
            own: false,
        })
        .collect()
}

fn rules(hold_seconds: u8) -> Rules {
    Rules::from(&OverlaySettings {
        hold_seconds,
        ..OverlaySettings::default()
    })
}

fn gate(c: &mut Criterion) {
    let all = comments();
    let mut group = c.benchmark_group("overlay_gate");
    group.throughput(Throughput::Elements(COMMENTS as u64));
    for hold in [0u8, 2] {
        group.bench_function(format!("hold_{hold}s"), |b| {
            b.iter(|| {
                let mut gate = Gate::new(rules(hold));
                let start = Instant::now();
                for (n, batch) in all.chunks(BATCH).enumerate() {
                    // 100 reads a second.
                    let now = start + Duration::from_millis(10 * n as u64);
                    gate.admit(batch, false, now, 0);
                    gate.release(now);
                }
            });
        });
    }
    group.finish();
}

fn hub(c: &mut Criterion) {
    let all = comments();
    let mut group = c.benchmark_group("overlay_hub");
    group.throughput(Throughput::Elements(COMMENTS as u64));
    group.bench_function("hold_0s_one_page", |b| {
        b.iter(|| {
            let hub = OverlayHub::new(&OverlaySettings::default(), Arc::new(NoAvatars));
            let (_, mut page) = hub.join();
            for batch in all.chunks(BATCH) {
                hub.comments(batch, false);
                while page.try_recv().is_ok() {}
            }
        });
    });
    group.finish();
}

criterion_group!(benches, gate, hub);
criterion_main!(benches);

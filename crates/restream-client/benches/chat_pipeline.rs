//! The chat path from bytes to subscribers: SSE decode (with the size guard) → JSON → de-dup →
//! the 200 cap → publish. What one publish costs with N subscribers. And one event of many short
//! lines, under the caps, through `decode_chat` and handed to the SSE decoder whole, as it was
//! before `decode_chat` cut such events into pieces (the decoder's cost grows with the square of
//! what it holds).
//!
//! `cargo bench -p restream-client --bench chat_pipeline`

use bytes::Bytes;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use futures_util::StreamExt;
use restream_client::{ChatEvent, Comment, CommentFeed, Platform, StudioEvent, decode_chat};
use tokio::sync::broadcast;

const COMMENTS: usize = 10_000;

fn comment(n: usize) -> Comment {
    Comment {
        id: format!("cmt_{n:020}"),
        platform: [Platform::Twitch, Platform::Kick, Platform::Youtube][n % 3],
        author: format!("viewer_{}", n % 997),
        author_id: None,
        author_avatar: Some(format!("https://cdn.example.com/avatars/{}.png", n % 16)),
        message: "that play was insane, how did you even see him coming 🔥".to_owned(),
        timestamp: 1_760_000_000_000 + n as i64,
        own: false,
    }
}

/// The stream a busy chat sends, cut into 4 KiB reads as a socket delivers it.
fn wire() -> Vec<Bytes> {
    let mut text = String::from("retry: 2000\n\n");
    for n in 0..COMMENTS {
        let c = comment(n);
        text.push_str(&format!(
            "event: comment\nid: {}\ndata: {}\n\n",
            c.id,
            serde_json::to_string(&c).unwrap()
        ));
        if n % 100 == 0 {
            text.push_str(": keep-alive\n\n");
        }
    }
    text.into_bytes()
        .chunks(4096)
        .map(Bytes::copy_from_slice)
        .collect()
}

fn pipeline(c: &mut Criterion) {
    let chunks = wire();
    let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
    let mut group = c.benchmark_group("chat_pipeline");
    group.throughput(Throughput::Elements(COMMENTS as u64));
    group.sample_size(20);
    group.bench_function("decode_dedup_cap_publish", |b| {
        b.iter(|| {
            runtime.block_on(async {
                let (tx, mut rx) = broadcast::channel::<StudioEvent>(1024);
                let mut feed = CommentFeed::default();
                let stream = futures_util::stream::iter(chunks.iter().cloned().map(Ok::<_, std::io::Error>));
                // What is decoded together is applied and published together, as the studio does.
                let mut batches = Box::pin(decode_chat(stream).ready_chunks(256));
                let mut published = 0usize;
                while let Some(events) = batches.next().await {
                    let comments = events.into_iter().filter_map(|e| match e {
                        Ok(ChatEvent::Comment(c)) => Some(c),
                        _ => None,
                    });
                    let added = feed.apply(comments);
                    if !added.is_empty() {
                        published += added.len();
                        let _ = tx.send(StudioEvent::Comments {
                            comments: added.into(),
                            backfill: false,
                        });
                        // A subscriber keeps up, as the app's does.
                        while rx.try_recv().is_ok() {}
                    }
                }
                assert_eq!(published, COMMENTS);
                assert_eq!(feed.len(), 200);
            })
        })
    });
    group.finish();
}

fn publish(c: &mut Criterion) {
    let batch: std::sync::Arc<[Comment]> = (0..20).map(comment).collect();
    let mut group = c.benchmark_group("publish_batch_of_20");
    for subscribers in [1usize, 10, 100] {
        let (tx, _) = broadcast::channel::<StudioEvent>(1024);
        let mut receivers: Vec<_> = (0..subscribers).map(|_| tx.subscribe()).collect();
        group.bench_with_input(BenchmarkId::from_parameter(subscribers), &subscribers, |b, _| {
            b.iter(|| {
                let _ = tx.send(StudioEvent::Comments {
                    comments: std::sync::Arc::clone(&batch),
                    backfill: false,
                });
                for rx in &mut receivers {
                    let _ = rx.try_recv();
                }
            })
        });
    }
    group.finish();
}

/// One event just under the caps, made of many short lines: `lines` copies of `line` after a
/// comment's first line of JSON, then the rest of it.
fn long_event(line: &str, lines: usize) -> Bytes {
    let json = serde_json::to_string(&comment(1)).unwrap();
    // Cut between two fields, where a new line is whitespace to JSON.
    let (head, tail) = json.split_at(json.find(",\"").unwrap() + 1);
    let mut text = format!("event: comment\nid: cmt_long\ndata: {head}\n");
    text.push_str(&line.repeat(lines));
    text.push_str(&format!("data: {tail}\n\n"));
    assert!(
        text.len() < restream_client::MAX_EVENT_BYTES,
        "the event must be under the cap"
    );
    Bytes::from(text)
}

fn long_events(c: &mut Criterion) {
    use eventsource_stream::Eventsource;
    let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
    let mut group = c.benchmark_group("one_event_of_short_lines");
    group.sample_size(10);
    // 40,000 empty `data:` lines inside a comment's JSON (read as whitespace: it parses), and
    // 130,000 comment lines of 2 bytes.
    for (name, event) in [
        ("240kB_of_data_lines", long_event("data:\n", 40_000)),
        ("260kB_of_2_byte_lines", long_event(":\n", 130_000)),
    ] {
        let once = || futures_util::stream::iter([Ok::<_, std::io::Error>(event.clone())]);
        // Both paths read the event as the one comment it is, before either is timed.
        let decoded: Vec<_> = runtime.block_on(decode_chat(once()).collect());
        assert!(
            matches!(&decoded[..], [Ok(ChatEvent::Comment(c))] if c.id == comment(1).id),
            "{decoded:?}"
        );
        let whole: Vec<_> = runtime.block_on(once().eventsource().collect());
        assert!(matches!(&whole[..], [Ok(e)] if e.event == "comment"), "{whole:?}");
        group.bench_function(BenchmarkId::new("decode_chat", name), |b| {
            b.iter(|| runtime.block_on(async { decode_chat(once()).count().await }))
        });
        group.bench_function(BenchmarkId::new("decoder_whole", name), |b| {
            b.iter(|| runtime.block_on(async { once().eventsource().count().await }))
        });
    }
    group.finish();
}

criterion_group!(benches, pipeline, publish, long_events);
criterion_main!(benches);

//! A real OBS Studio for the client's tests (see `restream-test-neighbours`).

pub use restream_test_neighbours::obs::{PASSWORD, RealObs};

//! Log capture: what a `tracing_subscriber::fmt` subscriber writes while a test runs requests.

use std::{
    future::Future,
    io,
    sync::{Arc, Mutex},
};

use tracing_subscriber::fmt::MakeWriter;

/// A writer that keeps everything written to it.
#[derive(Clone, Default)]
pub struct Captured(Arc<Mutex<Vec<u8>>>);

impl io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

impl Captured {
    /// What was written so far.
    pub fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}

/// Held while a test captures logs. tracing caches, per callsite and for the whole process,
/// whether any subscriber wants it; a callsite first reached on another thread while this
/// test's subscriber is being installed can cache "no" and lose this test's events. So a test
/// binary that captures logs does so in every test, one test at a time.
static CAPTURING: Mutex<()> = Mutex::new(());

/// Runs `work` on a current-thread runtime with a plain-text subscriber at `level` installed,
/// and returns its output and what the subscriber wrote.
pub fn logs_while<F: Future>(level: tracing::Level, work: F) -> (F::Output, String) {
    let _one_at_a_time = CAPTURING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(level)
        .with_ansi(false)
        .with_writer(captured.clone())
        .finish();
    let output = tracing::subscriber::with_default(subscriber, || {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap()
            .block_on(work)
    });
    (output, captured.text())
}

//! What a `bff` process prints, captured for the tests that read its log.

use std::sync::{Arc, Mutex};

/// Everything the `bff` binary has printed so far (its log and its own lines).
#[derive(Clone, Default)]
pub struct Output(Arc<Mutex<String>>);

impl Output {
    pub fn text(&self) -> String {
        self.0.lock().unwrap().clone()
    }

    pub(super) fn collect(&self, stream: impl tokio::io::AsyncRead + Unpin + Send + 'static) {
        use tokio::io::AsyncBufReadExt;
        let output = self.clone();
        tokio::spawn(async move {
            let mut lines = tokio::io::BufReader::new(stream).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                let mut text = output.0.lock().unwrap();
                text.push_str(&line);
                text.push('\n');
            }
        });
    }
}

//! A site on an origin no partner has on its allowlist: one page, whatever is asked for.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

/// A page served on `http://127.0.0.1:<a port of its own>`; stopped when dropped.
pub struct ForeignSite {
    /// The page's address.
    pub url: String,
    stop: Arc<AtomicBool>,
    server: Option<JoinHandle<()>>,
}

impl ForeignSite {
    /// Serves `html` for every request on a port the OS picks.
    pub fn serve(html: String) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a local port");
        let url = format!("http://{}/", listener.local_addr().unwrap());
        listener.set_nonblocking(true).unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = stop.clone();
        let server = std::thread::spawn(move || {
            while !stopping.load(Ordering::Relaxed) {
                match listener.accept() {
                    Ok((mut stream, _)) => {
                        let _ = stream.set_nonblocking(false);
                        let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
                        // One read holds a browser's whole GET; the request itself is not needed.
                        let _ = stream.read(&mut [0u8; 8192]);
                        let _ = write!(
                            stream,
                            "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\
                             Content-Length: {}\r\nConnection: close\r\n\r\n{html}",
                            html.len()
                        );
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(20)),
                }
            }
        });
        Self {
            url,
            stop,
            server: Some(server),
        }
    }
}

impl Drop for ForeignSite {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(server) = self.server.take() {
            let _ = server.join();
        }
    }
}

//! The sandbox's one way of taking a lock.

use std::sync::{Mutex, MutexGuard, PoisonError};

/// Takes `mutex`, also after a panic: every critical section finishes without panicking,
/// so a poisoned lock still holds consistent data and the sandbox keeps serving.
pub fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

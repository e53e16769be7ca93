//! The memory allocator: jemalloc, configured to give memory back to the system.
//!
//! glibc's malloc keeps what a burst of requests took (per-thread arenas are trimmed only
//! from their top, so a page still in use high in an arena pins everything below it): 1,000
//! pages rendered at once left the server at 330 MB for good (issue 15). jemalloc returns
//! unused pages on a timer: with its background threads this happens while the server is
//! idle, not only when a thread next allocates. Measured against mimalloc and the system
//! allocator in docs/benchmarks.md ("Memory under bursts").
//!
//! The features `system-allocator` and `mimalloc` build the server with the others, to
//! measure them again (`scripts/bench-memory`).
//!
//! `_RJEM_MALLOC_CONF` in the environment overrides these settings at start
//! (e.g. `_RJEM_MALLOC_CONF=dirty_decay_ms:10000`).

#[cfg(all(feature = "system-allocator", feature = "mimalloc"))]
compile_error!("choose one allocator to measure: system-allocator or mimalloc");

#[cfg(not(any(feature = "system-allocator", feature = "mimalloc")))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's settings, read before `main`: purging is done by background threads (so an
/// idle server shrinks); pages unused for a second are given back, straight to the system
/// (`muzzy_decay_ms:0`: not through `MADV_FREE`, which leaves them counted in the resident
/// size until the kernel runs short of memory).
#[cfg(not(any(feature = "system-allocator", feature = "mimalloc")))]
#[export_name = "_rjem_malloc_conf"]
#[allow(non_upper_case_globals)]
pub static malloc_conf: &u8 = &b"background_thread:true,dirty_decay_ms:1000,muzzy_decay_ms:0\0"[0];

#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

//! Keeps the process's heap small, so an instance idles in little memory on a small board
//! computer: fewer malloc arenas than glibc's default of eight per core, and the memory
//! start-up used handed back to the system.

/// Call first thing, before any thread starts.
pub fn limit_arenas() {
    // SAFETY: mallopt only changes the allocator's tuning; it is called before other threads
    // exist, and an unsupported value is refused by returning 0, which changes nothing.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

/// Returns freed heap pages to the system (after start-up's migrations and set-up).
pub fn release_free_memory() {
    // SAFETY: malloc_trim only gives free pages back; it is safe to call at any time.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    unsafe {
        libc::malloc_trim(0);
    }
}

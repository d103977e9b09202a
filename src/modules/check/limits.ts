// The precheck's limits, also used by host-side scripts (the miniweb's readiness check).

/** Clock skew limits in seconds: above WARN it is worth fixing, above FAIL login tokens are refused. */
export const SKEW_WARN_S = 2;
export const SKEW_FAIL_S = 60;
/** A hard limit this low cannot be raised by anything the platform starts (the legacy check's 1024). */
export const NOFILE_FLOOR = 1024;
/** The legacy recommendation for `ulimit -n`. */
export const NOFILE_ADVISED = 102400;
/** Free space under INSTALL_PATH: below FAIL nothing fits, below WARN logs and data soon won't. */
export const DISK_FAIL_KB = 1024 * 1024;
export const DISK_WARN_KB = 5 * 1024 * 1024;

/** Process exit codes from sysexits.h, shared by the server and the CLI commands. */

/** `EX_UNAVAILABLE`: a service the process needs (the database) did not answer. */
export const EXIT_UNAVAILABLE = 69;

/** `EX_CONFIG`: the process was started with a configuration it cannot use. */
export const EXIT_CONFIG = 78;

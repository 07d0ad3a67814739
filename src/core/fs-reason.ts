/**
 * A file-system error a user can fix, in the words every reader and writer of fxsim uses; undefined
 * for anything else (the caller decides: rethrow as a bug, or show the system's message).
 * `missing` words ENOENT: a missing file when reading, a missing directory when writing.
 */
export function fsReason(e: unknown, missing = 'no such file'): string | undefined {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' ? missing
    : code === 'EISDIR' ? 'is a directory'
    : code === 'ENOTDIR' ? 'a part of the path is a file, not a directory'
    : code === 'EEXIST' ? 'exists and is not a directory'
    : code === 'EACCES' || code === 'EPERM' ? 'permission denied'
    : code === 'ELOOP' ? 'too many symbolic links (a loop)'
    : code === 'EROFS' ? 'read-only file system'
    : code === 'ENOSPC' ? 'no space left on the device'
    : undefined;
}

import { describe, expect, it } from 'vitest';
import { fsReason } from '../../src/core/fs-reason.ts';

const err = (code: string) => Object.assign(new Error(code), { code });

describe('fsReason', () => {
  it('words the errors a user can fix, and only those', () => {
    expect(fsReason(err('ENOENT'))).toBe('no such file');
    expect(fsReason(err('ENOENT'), 'no such directory')).toBe('no such directory');
    expect(fsReason(err('EISDIR'))).toBe('is a directory');
    expect(fsReason(err('ENOTDIR'))).toBe('a part of the path is a file, not a directory');
    expect(fsReason(err('EACCES'))).toBe('permission denied');
    expect(fsReason(err('ELOOP'))).toBe('too many symbolic links (a loop)');
    expect(fsReason(err('EIO'))).toBeUndefined();
    expect(fsReason(new TypeError('a bug'))).toBeUndefined();
    expect(fsReason(undefined)).toBeUndefined();
  });
});

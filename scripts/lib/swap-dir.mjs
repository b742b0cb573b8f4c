import { rename, rm } from 'node:fs/promises';

/**
 * Replaces the folder `target` with the finished folder `built` by two renames (the old folder is moved aside,
 * then removed): a reader sees the old files or the new ones, never a half-written one, with at most a rename's
 * gap between. `target` need not exist yet.
 */
export async function swapDir(built, target) {
  const old = `${target}.old-${process.pid}`;
  await rm(old, { recursive: true, force: true });
  await rename(target, old).catch((error) => {
    if (error.code !== 'ENOENT') throw error;
  });
  try {
    await rename(built, target);
  } catch (error) {
    // The build is kept where it was; the previous folder goes back.
    await rename(old, target).catch(() => undefined);
    throw error;
  }
  await rm(old, { recursive: true, force: true });
}

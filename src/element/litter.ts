// The operating systems' litter in a dropped or picked folder: files and folders that Finder,
// Explorer and the like write next to the user's own, which nobody means to upload. One rule, used by
// the folder walk (to skip a litter folder without reading it) and by the intake (silently, no notice).

/** Files: Finder's view settings and AppleDouble `._*` twins, Explorer's thumbnail caches and folder settings. */
const LITTER_FILES = new Set(['.ds_store', 'thumbs.db', 'ehthumbs.db', 'ehthumbs_vista.db', 'desktop.ini', '.localized', 'icon\r']);

/**
 * Folders: Spotlight's index, the Trash, the file-system event log, Windows' recycle bin and
 * restore points, and the `__MACOSX` folder that macOS zips unpack into.
 */
const LITTER_FOLDERS = new Set([
  '.spotlight-v100',
  '.trashes',
  '.fseventsd',
  '.temporaryitems',
  '.documentrevisions-v100',
  '$recycle.bin',
  'system volume information',
  '__macosx',
]);

export function isLitterFolder(name: string): boolean {
  return LITTER_FOLDERS.has(name.toLowerCase());
}

/** A file that is litter by its own name, or lies inside a litter folder (`folder` is `a/b`, relative). */
export function isLitter(name: string, folder = ''): boolean {
  const lower = name.toLowerCase();
  if (LITTER_FILES.has(lower) || lower.startsWith('._')) return true;
  return folder !== '' && folder.split('/').some(isLitterFolder);
}

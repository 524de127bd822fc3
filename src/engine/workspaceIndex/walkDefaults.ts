// What the walker leaves out when the caller says nothing: VS Code's own defaults, so that the CLI (which has no
// settings) indexes the same files the extension does in a fresh profile.

/**
 * VS Code's default `files.exclude` (desktop) followed by its default `search.exclude`, as in VS Code 1.100's
 * configuration registry. Globs are relative to the walked root; one that matches a folder leaves out all of it.
 */
export const DEFAULT_EXCLUDES: readonly string[] = Object.freeze([
  '**/.git',
  '**/.svn',
  '**/.hg',
  '**/.DS_Store',
  '**/Thumbs.db',
  '**/node_modules',
  '**/bower_components',
  '**/*.code-search',
]);

/** Files above this size are skipped as `too-large` (1 MiB: far beyond hand-written source or prose). */
export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;

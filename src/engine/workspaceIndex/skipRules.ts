// Files the walker leaves out by name alone, before reading a byte: they are counted as skipped, not hidden,
// so that the index can say what it did not take.

/**
 * Dependency lock files: machine-written, large, and full of hashes and version strings that match every query
 * about "version" or "package" while saying nothing a person wrote.
 */
export const LOCK_FILE_NAMES: ReadonlySet<string> = new Set([
  // JavaScript / TypeScript
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'bun.lock',
  'bun.lockb',
  'deno.lock',
  // Rust, Go, Python
  'Cargo.lock',
  'go.sum',
  'go.work.sum',
  'poetry.lock',
  'Pipfile.lock',
  'pdm.lock',
  'uv.lock',
  'pixi.lock',
  // PHP, Ruby, Elixir, Erlang, Dart, Swift / Objective-C, Crystal, R
  'composer.lock',
  'Gemfile.lock',
  'mix.lock',
  'rebar.lock',
  'pubspec.lock',
  'Package.resolved',
  'Podfile.lock',
  'Cartfile.resolved',
  'shard.lock',
  'renv.lock',
  // .NET, JVM, C/C++, Nix, Terraform
  'packages.lock.json',
  'paket.lock',
  'gradle.lockfile',
  'conan.lock',
  'flake.lock',
  '.terraform.lock.hcl',
]);

export function isLockFile(fileName: string): boolean {
  return LOCK_FILE_NAMES.has(fileName);
}

/**
 * Extensions whose files are binary by format. The content check (a NUL byte, see core/textDecoding) would catch
 * most of them too, but only after reading them; these are never worth a read.
 */
export const BINARY_EXTENSIONS: ReadonlySet<string> = new Set([
  // images (not .svg: it is XML text)
  'png',
  'jpg',
  'jpeg',
  'gif',
  'bmp',
  'ico',
  'icns',
  'webp',
  'avif',
  'heic',
  'tif',
  'tiff',
  'psd',
  // audio, video
  'mp3',
  'wav',
  'flac',
  'ogg',
  'opus',
  'm4a',
  'aac',
  'mp4',
  'm4v',
  'mov',
  'avi',
  'mkv',
  'webm',
  // archives and packages
  'zip',
  'gz',
  'tgz',
  'bz2',
  'xz',
  'zst',
  '7z',
  'rar',
  'tar',
  'jar',
  'war',
  'vsix',
  'whl',
  'nupkg',
  'deb',
  'rpm',
  'dmg',
  'iso',
  // compiled code and libraries
  'exe',
  'dll',
  'so',
  'dylib',
  'a',
  'lib',
  'o',
  'class',
  'pyc',
  'pyo',
  'wasm',
  'node',
  // documents, fonts, databases
  'pdf',
  'doc',
  'docx',
  'xls',
  'xlsx',
  'ppt',
  'pptx',
  'odt',
  'ods',
  'odp',
  'ttf',
  'otf',
  'woff',
  'woff2',
  'eot',
  'sqlite',
  'sqlite3',
  'db',
  // model weights and arrays
  'onnx',
  'safetensors',
  'bin',
  'pt',
  'pth',
  'ckpt',
  'h5',
  'npy',
  'npz',
  'pkl',
  'parquet',
  'arrow',
]);

export function hasBinaryExtension(fileName: string): boolean {
  const dot = fileName.lastIndexOf('.');
  // A leading dot names a hidden file (".bin" is a name, not an extension).
  if (dot <= 0) return false;
  return BINARY_EXTENSIONS.has(fileName.slice(dot + 1).toLowerCase());
}

/** How a document's structure is read. */
export type DocumentKind = 'markdown' | 'code' | 'text';

const MARKDOWN_EXTENSIONS = new Set(['md', 'markdown', 'mdx', 'mdown', 'mkd']);

// Languages whose comments codeBlocks recognises, and data/config formats best read line by line.
const CODE_EXTENSIONS = new Set([
  'ts', 'tsx', 'mts', 'cts', 'js', 'jsx', 'mjs', 'cjs', 'py', 'pyi', 'java', 'kt', 'kts', 'scala', 'groovy', 'gradle',
  'c', 'h', 'cc', 'cpp', 'cxx', 'hpp', 'hh', 'hxx', 'm', 'mm', 'cs', 'fs', 'go', 'rs', 'swift', 'dart', 'rb', 'php',
  'pl', 'pm', 'r', 'jl', 'lua', 'sql', 'hs', 'ex', 'exs', 'erl', 'clj', 'cljs', 'zig', 'nim', 'sh', 'bash', 'zsh',
  'fish', 'ps1', 'bat', 'cmd', 'css', 'scss', 'sass', 'less', 'html', 'htm', 'xml', 'svg', 'vue', 'svelte', 'astro',
  'json', 'jsonc', 'json5', 'yaml', 'yml', 'toml', 'ini', 'cfg', 'conf', 'properties', 'proto', 'graphql', 'gql',
  'tf', 'hcl', 'cmake', 'mk', 'vim', 'el', 'sol', 'ipynb',
]);
const CODE_FILE_NAMES = new Set(['dockerfile', 'makefile', 'gnumakefile', 'cmakelists.txt', 'jenkinsfile', 'vagrantfile', 'gemfile', 'rakefile']);

/** markdown for .md/.markdown/.mdx, code for known source extensions, text otherwise. */
export function documentKindOf(path: string): DocumentKind {
  const name = (path.split(/[\\/]/).pop() ?? '').toLowerCase();
  if (CODE_FILE_NAMES.has(name)) return 'code';
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return 'text';
  const extension = name.slice(dot + 1);
  if (MARKDOWN_EXTENSIONS.has(extension)) return 'markdown';
  return CODE_EXTENSIONS.has(extension) ? 'code' : 'text';
}

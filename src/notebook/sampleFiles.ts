/** The bundled sample notebook (first) and the files its cells read, all in the extension's `samples/` folder. */
export const SAMPLE_FILES = ['quickstart.minilm', 'quickstart-texts.txt'] as const;

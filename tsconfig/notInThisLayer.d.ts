// Not a module: importing 'vscode' from a layer that never runs in the extension host fails here (TS2306).

// Colours from the VS Code theme (--vscode-* variables on the body), re-read when the theme changes.

export interface ThemeColors {
  foreground: string;
  muted: string;
  grid: string;
  background: string;
  stable: string;
  unstable: string;
  /** A box being dragged to zoom, and the focus outline. */
  selection: string;
  focus: string;
  series: string[];
}

function cssVar(style: CSSStyleDeclaration, name: string, fallback: string): string {
  return style.getPropertyValue(name).trim() || fallback;
}

export function themeColors(): ThemeColors {
  const s = getComputedStyle(document.body);
  return {
    foreground: cssVar(s, '--vscode-editor-foreground', '#333'),
    muted: cssVar(s, '--vscode-descriptionForeground', '#777'),
    grid: cssVar(s, '--vscode-editorWidget-border', cssVar(s, '--vscode-panel-border', '#8884')),
    background: cssVar(s, '--vscode-editor-background', '#fff'),
    stable: cssVar(s, '--vscode-charts-green', '#388a34'),
    unstable: cssVar(s, '--vscode-charts-red', '#e51400'),
    selection: cssVar(s, '--vscode-editor-selectionBackground', '#add6ff80'),
    focus: cssVar(s, '--vscode-focusBorder', '#0090f1'),
    series: ['--vscode-charts-blue', '--vscode-charts-orange', '--vscode-charts-purple', '--vscode-charts-green', '--vscode-charts-red', '--vscode-charts-yellow'].map((v, i) =>
      cssVar(s, v, ['#1a85ff', '#d18616', '#652d90', '#388a34', '#e51400', '#bf8803'][i]),
    ),
  };
}

/** Calls `onChange` when VS Code switches the theme (it changes the body's classes). */
export function onThemeChange(onChange: () => void): void {
  const observer = new MutationObserver(onChange);
  observer.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind'] });
  // Themes of the same kind differ only in the variables VS Code sets on <html>.
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });
}

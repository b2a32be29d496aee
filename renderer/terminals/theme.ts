import type { ITheme } from '@xterm/xterm';

/** CSS variables (terminals.css, light and dark) that make up xterm's theme. */
const themeVariables: Record<keyof ITheme, string> = {
  background: '--terminal-bg',
  foreground: '--terminal-fg',
  cursor: '--terminal-cursor',
  cursorAccent: '--terminal-bg',
  selectionBackground: '--terminal-selection',
  black: '--terminal-black',
  red: '--terminal-red',
  green: '--terminal-green',
  yellow: '--terminal-yellow',
  blue: '--terminal-blue',
  magenta: '--terminal-magenta',
  cyan: '--terminal-cyan',
  white: '--terminal-white',
  brightBlack: '--terminal-bright-black',
  brightRed: '--terminal-bright-red',
  brightGreen: '--terminal-bright-green',
  brightYellow: '--terminal-bright-yellow',
  brightBlue: '--terminal-bright-blue',
  brightMagenta: '--terminal-bright-magenta',
  brightCyan: '--terminal-bright-cyan',
  brightWhite: '--terminal-bright-white',
} as Record<keyof ITheme, string>;

/** The app's terminal colours as they stand now (they follow the light or dark scheme). */
export function readTheme(element: Element = document.documentElement): ITheme {
  const style = getComputedStyle(element);
  const theme: ITheme = {};
  for (const [key, variable] of Object.entries(themeVariables) as [keyof ITheme, string][]) {
    const value = style.getPropertyValue(variable).trim();
    if (value !== '') (theme as Record<string, string>)[key] = value;
  }
  return theme;
}

/** Calls `listener` whenever the colour scheme changes; returns the unsubscribe. */
export function onSchemeChange(listener: () => void): () => void {
  if (typeof window === 'undefined' || !window.matchMedia) return () => {};
  const query = window.matchMedia('(prefers-color-scheme: dark)');
  query.addEventListener('change', listener);
  return () => query.removeEventListener('change', listener);
}

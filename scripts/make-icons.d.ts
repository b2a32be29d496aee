// Types for make-icons.js.
export function appIconSvg(size: number): string;
export function trayIconSvg(size: number, template: boolean): string;
export function icns(pngBySize: Map<number, Buffer>): Buffer;
export function ico(pngBySize: Map<number, Buffer>, sizes: number[]): Buffer;
export function makeIcons(root?: string): Promise<void>;

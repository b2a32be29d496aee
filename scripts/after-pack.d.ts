// Types for after-pack.js, electron-builder's afterPack hook.
import type { NativeTarget } from './ensure-native.js';
export interface PackContextLike {
  arch: number;
  electronPlatformName: string;
  appOutDir: string;
  packager: { config: { electronVersion?: string | null }; info: { framework: { version: string } }; getResourcesDir(appOutDir: string): string };
}
export function nativeTarget(context: PackContextLike): NativeTarget;
export function afterPack(context: PackContextLike): Promise<void>;
export default afterPack;

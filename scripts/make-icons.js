#!/usr/bin/env node
// Draws Photon's icons (a bright dot with a ring around it) as SVG, renders them with headless
// Chromium at every size they are needed, and writes the PNGs plus the .icns and .ico containers.
// The results are committed; run again only to change the artwork:
//
//   node scripts/make-icons.js            (Chromium from PHOTON_CHROMIUM or /usr/bin/chromium)
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { projectRoot } from './ensure-native.js';

/** The app icon: a dark rounded square with a glowing photon on a tilted orbit. viewBox 0 0 1024 1024. */
export function appIconSvg(size) {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 1024 1024">
  <defs>
    <linearGradient id="bg" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#1a2044"/>
      <stop offset="1" stop-color="#070914"/>
    </linearGradient>
    <linearGradient id="ring" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="#67e8f9"/>
      <stop offset="1" stop-color="#a78bfa"/>
    </linearGradient>
    <radialGradient id="glow">
      <stop offset="0" stop-color="#67e8f9" stop-opacity="0.55"/>
      <stop offset="0.45" stop-color="#22d3ee" stop-opacity="0.18"/>
      <stop offset="1" stop-color="#22d3ee" stop-opacity="0"/>
    </radialGradient>
    <radialGradient id="core">
      <stop offset="0" stop-color="#ffffff"/>
      <stop offset="0.55" stop-color="#e0fbff"/>
      <stop offset="1" stop-color="#67e8f9"/>
    </radialGradient>
  </defs>
  <rect x="100" y="100" width="824" height="824" rx="184" fill="url(#bg)"/>
  <rect x="100.5" y="100.5" width="823" height="823" rx="183.5" fill="none" stroke="#ffffff" stroke-opacity="0.08" stroke-width="3"/>
  <circle cx="512" cy="512" r="250" fill="url(#glow)"/>
  <ellipse cx="512" cy="512" rx="318" ry="128" fill="none" stroke="url(#ring)" stroke-width="34" transform="rotate(-28 512 512)"/>
  <circle cx="512" cy="512" r="96" fill="url(#core)"/>
  <circle cx="708" cy="325" r="26" fill="#ddd6fe"/>
</svg>`;
}

/**
 * The tray icon: the mark reduced for 16-32 px, a dot inside an orbit with its photon, drawn as
 * one shape (black for the macOS template, colored elsewhere). viewBox 0 0 32 32.
 */
export function trayIconSvg(size, template) {
  const ring = template ? '#000000' : '#8b5cf6';
  const dot = template ? '#000000' : '#06b6d4';
  const px = (16 + 11.5 * Math.SQRT1_2).toFixed(2);
  const py = (16 - 11.5 * Math.SQRT1_2).toFixed(2);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 32 32">
  <defs>
    <mask id="gap" maskUnits="userSpaceOnUse" x="0" y="0" width="32" height="32">
      <rect width="32" height="32" fill="#fff"/>
      <circle cx="${px}" cy="${py}" r="4.6" fill="#000"/>
    </mask>
  </defs>
  <circle cx="16" cy="16" r="11.5" fill="none" stroke="${ring}" stroke-width="2.5" mask="url(#gap)"/>
  <circle cx="${px}" cy="${py}" r="2.7" fill="${ring}"/>
  <circle cx="16" cy="16" r="5.2" fill="${dot}"/>
</svg>`;
}

/** An .icns holding PNGs (every macOS since 10.7 reads PNG entries). */
export function icns(pngBySize) {
  const types = [
    ['icp4', 16],
    ['icp5', 32],
    ['icp6', 64],
    ['ic07', 128],
    ['ic08', 256],
    ['ic09', 512],
    ['ic10', 1024],
    ['ic11', 32],
    ['ic12', 64],
    ['ic13', 256],
    ['ic14', 512],
  ];
  const chunks = types.map(([type, size]) => {
    const png = pngBySize.get(size);
    if (!png) throw new Error(`icns: no ${size} px image`);
    const header = Buffer.alloc(8);
    header.write(type, 0, 'ascii');
    header.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([header, png]);
  });
  const body = Buffer.concat(chunks);
  const header = Buffer.alloc(8);
  header.write('icns', 0, 'ascii');
  header.writeUInt32BE(body.length + 8, 4);
  return Buffer.concat([header, body]);
}

/** An .ico holding PNGs (Windows Vista and later). */
export function ico(pngBySize, sizes) {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(sizes.length, 4);
  const entries = [];
  const images = [];
  let offset = 6 + 16 * sizes.length;
  for (const size of sizes) {
    const png = pngBySize.get(size);
    if (!png) throw new Error(`ico: no ${size} px image`);
    const entry = Buffer.alloc(16);
    entry.writeUInt8(size >= 256 ? 0 : size, 0);
    entry.writeUInt8(size >= 256 ? 0 : size, 1);
    entry.writeUInt8(0, 2);
    entry.writeUInt8(0, 3);
    entry.writeUInt16LE(1, 4);
    entry.writeUInt16LE(32, 6);
    entry.writeUInt32LE(png.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += png.length;
    entries.push(entry);
    images.push(png);
  }
  return Buffer.concat([header, ...entries, ...images]);
}

async function render(page, svg, size) {
  await page.setViewportSize({ width: size, height: size });
  await page.setContent(`<!doctype html><html><body style="margin:0;background:transparent">${svg}</body></html>`);
  return page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
}

export async function makeIcons(root = projectRoot) {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: process.env.PHOTON_CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage({ deviceScaleFactor: 1 });
    const icons = join(root, 'resources', 'icons');
    const linux = join(icons, 'linux');
    const tray = join(root, 'resources', 'tray');
    for (const dir of [icons, linux, tray]) mkdirSync(dir, { recursive: true });

    const app = new Map();
    for (const size of [16, 24, 32, 48, 64, 128, 256, 512, 1024]) app.set(size, await render(page, appIconSvg(size), size));
    writeFileSync(join(icons, 'icon.png'), app.get(1024));
    writeFileSync(join(icons, 'icon-512.png'), app.get(512));
    for (const size of [16, 32, 48, 64, 128, 256, 512]) writeFileSync(join(linux, `${size}x${size}.png`), app.get(size));
    writeFileSync(join(icons, 'icon.icns'), icns(app));
    writeFileSync(join(icons, 'icon.ico'), ico(app, [16, 24, 32, 48, 64, 128, 256]));

    writeFileSync(join(tray, 'trayTemplate.png'), await render(page, trayIconSvg(16, true), 16));
    writeFileSync(join(tray, 'trayTemplate@2x.png'), await render(page, trayIconSvg(32, true), 32));
    writeFileSync(join(tray, 'tray.png'), await render(page, trayIconSvg(16, false), 16));
    writeFileSync(join(tray, 'tray@2x.png'), await render(page, trayIconSvg(32, false), 32));
    writeFileSync(join(tray, 'tray-linux.png'), await render(page, trayIconSvg(32, false), 32));
    writeFileSync(join(icons, 'icon.svg'), `${appIconSvg(1024)}\n`);
  } finally {
    await browser.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await makeIcons();
  console.log('icons written to resources/icons and resources/tray');
}

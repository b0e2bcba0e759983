/**
 * Draws the add-in's icons (a Fluent-blue rounded square with three rising white bars: the
 * grade mix) as PNGs with node:zlib, so no image tool is needed. Run once and commit the
 * PNGs: `npx tsx addin/assets/generate-icons.ts`.
 */
import { writeFileSync } from "node:fs";
import { deflateSync } from "node:zlib";

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "ascii");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** An RGBA image of `size` × `size` pixels as PNG bytes; `pixel(x, y)` gives [r, g, b, a]. */
export function png(size: number, pixel: (x: number, y: number) => readonly number[]): Buffer {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    const row = y * (size * 4 + 1);
    raw[row] = 0; // filter: none
    for (let x = 0; x < size; x++) {
      const [r = 0, g = 0, b = 0, a = 0] = pixel(x, y);
      raw.set([r, g, b, a], row + 1 + x * 4);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", new Uint8Array()),
  ]);
}

const BLUE = [0x0f, 0x6c, 0xbd, 255];
const WHITE = [255, 255, 255, 255];
const CLEAR = [0, 0, 0, 0];

/** The icon at one size: coordinates are in units of 1/16 of the side, so all sizes match. */
function icon(size: number): Buffer {
  const u = size / 16;
  const radius = 3 * u;
  const bars = [
    { x0: 3.5, x1: 5.5, top: 9 },
    { x0: 7, x1: 9, top: 6.5 },
    { x0: 10.5, x1: 12.5, top: 4 },
  ];
  return png(size, (px, py) => {
    const x = px + 0.5;
    const y = py + 0.5;
    // Rounded corners: outside the quarter circles is transparent.
    const cx = Math.min(Math.max(x, radius), size - radius);
    const cy = Math.min(Math.max(y, radius), size - radius);
    if ((x - cx) ** 2 + (y - cy) ** 2 > radius ** 2) return CLEAR;
    const gx = x / u;
    const gy = y / u;
    const onBar = bars.some((b) => gx >= b.x0 && gx <= b.x1 && gy >= b.top && gy <= 12.5);
    return onBar ? WHITE : BLUE;
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const size of [16, 32, 64, 80]) {
    writeFileSync(new URL(`./icon-${size}.png`, import.meta.url), icon(size));
  }
}

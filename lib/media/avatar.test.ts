import sharp, { type Sharp } from "sharp";
import { describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { AVATAR_SIZE, makeAvatarImage } from "./avatar";

/** A wide image in three vertical bands, red | green | blue, so the crop can be seen in the output's pixels. */
async function bands(width: number, height: number): Promise<Sharp> {
  const third = Math.round(width / 3);
  const band = (r: number, g: number, b: number, w: number) =>
    sharp({ create: { width: w, height, channels: 3, background: { r, g, b } } }).png().toBuffer();
  const [red, green, blue] = await Promise.all([band(255, 0, 0, third), band(0, 255, 0, width - 2 * third), band(0, 0, 255, third)]);
  return sharp({ create: { width, height, channels: 3, background: "#000" } }).composite([
    { input: red, left: 0, top: 0 },
    { input: green, left: third, top: 0 },
    { input: blue, left: width - third, top: 0 },
  ]);
}

async function pixel(image: Buffer, x: number, y: number): Promise<[number, number, number]> {
  const { data, info } = await sharp(image).raw().toBuffer({ resolveWithObject: true });
  const offset = (y * info.width + x) * info.channels;
  return [data[offset]!, data[offset + 1]!, data[offset + 2]!];
}

describe("avatar images", () => {
  it("centre-crops any shape to a 256×256 WebP", async () => {
    const wide = await (await bands(900, 300)).png().toBuffer();
    const avatar = await makeAvatarImage(wide);
    const meta = await sharp(avatar).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["webp", AVATAR_SIZE, AVATAR_SIZE]);
    // The middle third (green) fills the square: the left and right edges are green, not red and blue.
    for (const x of [2, 128, 253]) {
      const [r, g, b] = await pixel(avatar, x, 128);
      expect(g).toBeGreaterThan(200);
      expect(r + b).toBeLessThan(60);
    }
  });

  it("turns a photo upright by its EXIF orientation and strips EXIF (camera, GPS) from the result", async () => {
    // Stored sideways: left half red, right half blue, with orientation 6 (shown turned 90° clockwise), so the
    // upright picture is red on top and blue below. Ignoring the orientation would put red left and blue right.
    const half = (color: string) => sharp({ create: { width: 200, height: 200, channels: 3, background: color } }).png().toBuffer();
    const sideways = await sharp({ create: { width: 400, height: 200, channels: 3, background: "#000" } })
      .composite([{ input: await half("#f00"), left: 0, top: 0 }, { input: await half("#00f"), left: 200, top: 0 }])
      .jpeg()
      .withMetadata({ orientation: 6 })
      .withExif({ IFD0: { Make: "SecretCam", Copyright: "private" } })
      .toBuffer();
    expect((await sharp(sideways).metadata()).exif).toBeDefined();
    const avatar = await makeAvatarImage(sideways);
    const meta = await sharp(avatar).metadata();
    expect(meta.exif).toBeUndefined();
    expect(meta.orientation).toBeUndefined();
    expect(avatar.includes(Buffer.from("SecretCam"))).toBe(false);
    const [topR, , topB] = await pixel(avatar, 128, 10);
    const [bottomR, , bottomB] = await pixel(avatar, 128, 245);
    expect(topR).toBeGreaterThan(200);
    expect(topB).toBeLessThan(60);
    expect(bottomB).toBeGreaterThan(200);
    expect(bottomR).toBeLessThan(60);
  });

  it("reads GIF (first frame), WebP and SVG", async () => {
    const gif = await sharp({ create: { width: 40, height: 40, channels: 3, background: "#f00" } }).gif().toBuffer();
    const webp = await sharp({ create: { width: 40, height: 80, channels: 3, background: "#0f0" } }).webp().toBuffer();
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><rect width="64" height="64" fill="#00f"/></svg>');
    for (const input of [gif, webp, svg]) {
      const meta = await sharp(await makeAvatarImage(input)).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(["webp", AVATAR_SIZE, AVATAR_SIZE]);
    }
  });

  it("refuses a file that is not an image, and a truncated one, with a sentence", async () => {
    const text = Buffer.from("just some text, definitely not a picture\n");
    await expect(makeAvatarImage(text)).rejects.toThrow(/not an image Flick can read/);
    await expect(makeAvatarImage(text)).rejects.toBeInstanceOf(AppError);
    const png = await (await bands(300, 300)).png().toBuffer();
    const truncated = png.subarray(0, Math.floor(png.length / 2));
    const error = await makeAvatarImage(truncated).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBe(422);
  });

  it("refuses an image with more pixels than any camera makes, before decoding it", async () => {
    // 9000×9000 of one colour compresses to a small PNG but would decode to 324 MB.
    const huge = await sharp({ create: { width: 9000, height: 9000, channels: 3, background: "#fff" } }).png({ compressionLevel: 9 }).toBuffer();
    await expect(makeAvatarImage(huge)).rejects.toThrow(/too large/);
  });
});

// Profile pictures as stored: any still image sharp reads (JPEG, PNG, WebP, GIF, AVIF, TIFF, SVG), turned upright by
// its EXIF orientation, centre-cropped to a 256×256 WebP with every piece of metadata (EXIF, GPS, XMP, ICC) dropped.
// Runs in the web process: one small image takes a few tens of milliseconds, and the settings page shows the result
// at once, which a queue round trip would not. Server-side only, like the rest of lib/media.
import sharp from "sharp";
import { AppError } from "../errors";

export const AVATAR_SIZE = 256; // shown at up to 96 CSS px; 256 stays sharp on 2.5× screens
// Quality 82: no visible loss at avatar sizes; a 256×256 photo comes out around 10–20 KB.
const AVATAR_WEBP_QUALITY = 82;
// ~67 megapixels: more than any phone camera (48 MP is 8064×6048), and it keeps a small "decompression bomb" file
// (a 5 MB PNG can claim 50 000×50 000 pixels) from making the server decode gigabytes.
const AVATAR_MAX_INPUT_PIXELS = 2 ** 26;

const NOT_AN_IMAGE = "That file is not an image Flick can read. Upload a JPEG, PNG, WebP, GIF, AVIF, TIFF or SVG picture.";

/** The stored avatar for uploaded image bytes: 256×256 WebP, upright, centre-cropped, without metadata. */
export async function makeAvatarImage(input: Uint8Array): Promise<Buffer> {
  // Reading the header first tells "not an image" and "too many pixels" apart from a file that breaks mid-decode.
  const metadata = await sharp(input).metadata().catch(() => null);
  if (!metadata?.format || !metadata.width || !metadata.height) throw new AppError("invalid_input", NOT_AN_IMAGE);
  const frameHeight = metadata.pageHeight ?? metadata.height;
  if (metadata.width * frameHeight > AVATAR_MAX_INPUT_PIXELS) {
    throw new AppError("invalid_input", `That image is too large: at most ${Math.round(AVATAR_MAX_INPUT_PIXELS / 1e6)} megapixels, please.`);
  }
  try {
    // The first frame of an animation; rotate() with no angle applies and then drops the EXIF orientation.
    return await sharp(input, { limitInputPixels: AVATAR_MAX_INPUT_PIXELS, pages: 1 })
      .rotate()
      .resize(AVATAR_SIZE, AVATAR_SIZE, { fit: "cover", position: "centre" })
      .webp({ quality: AVATAR_WEBP_QUALITY })
      .toBuffer();
  } catch {
    throw new AppError("invalid_input", "That image could not be read to the end; it may be damaged. Try another file.");
  }
}

// Photos are made small on the phone before they are queued: longest side at most 1600 px,
// JPEG at quality 0.8. Re-encoding from pixels also drops EXIF (GPS, device, time), so a
// photo of a classroom never carries its location, not even in IndexedDB.

export const MAX_SIDE = 1600;
export const QUALITY = 0.8;

function fitted(width, height) {
  const scale = Math.min(1, MAX_SIDE / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

function drawOn(canvas, bitmap, size) {
  const context = canvas.getContext("2d");
  context.fillStyle = "#fff";  // JPEG has no transparency: a transparent PNG turns white, not black
  context.fillRect(0, 0, size.width, size.height);
  context.imageSmoothingEnabled = true;
  context.imageSmoothingQuality = "high";
  context.drawImage(bitmap, 0, 0, size.width, size.height);
}

async function encode(bitmap, size) {
  if (typeof OffscreenCanvas === "function") {
    const canvas = new OffscreenCanvas(size.width, size.height);
    drawOn(canvas, bitmap, size);
    return canvas.convertToBlob({ type: "image/jpeg", quality: QUALITY });
  }
  const canvas = document.createElement("canvas");
  canvas.width = size.width;
  canvas.height = size.height;
  drawOn(canvas, bitmap, size);
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("encoding failed"))), "image/jpeg", QUALITY);
  });
}

// A JPEG Blob ready to queue, or null when this browser can't decode the file (e.g. HEIC
// outside Safari): then the original is queued and the server re-encodes it instead.
export async function downscalePhoto(file) {
  let bitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
  } catch (_) {
    return null;
  }
  try {
    const size = fitted(bitmap.width, bitmap.height);
    const blob = await encode(bitmap, size);
    return { blob, width: size.width, height: size.height };
  } finally {
    bitmap.close();
  }
}

export function jpegName(name) {
  const stem = (name || "photo").replace(/\.[^.]+$/, "");
  return `${stem || "photo"}.jpg`;
}

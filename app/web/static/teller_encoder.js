// The teller page's JPEG encoder, in a worker (app/web/static/teller.js sends it frames).
//
// Why not canvas.toBlob on the page: Chromium encodes a main-thread toBlob (and a
// main-thread OffscreenCanvas.convertToBlob) JPEG in idle tasks; when the page gives it no
// idle time (the camera watcher samples the video every 90 ms, a busy tablet) it starts the
// encode only after 1 s (4 s on Android) and forces it after a further ~5.7 s
// (third_party/blink/renderer/core/html/canvas/canvas_async_blob_creator.cc). That was the
// 6.8–7.0 s "sheet still → reading shown" outliers of scripts/bench_teller.py. In a worker
// there is no idle scheduling: the encode runs at once.
"use strict";

self.onmessage = async (event) => {
  const {id, bitmap, longest, quality, budget, minQuality} = event.data;
  try {
    // Within `budget` bytes: lower the quality first (down to minQuality), then the size.
    let size = longest;
    let q = quality;
    let blob = null;
    for (let attempt = 0; attempt < 8; attempt++) {
      const scale = Math.min(1, size / Math.max(bitmap.width, bitmap.height));
      const canvas = new OffscreenCanvas(Math.round(bitmap.width * scale), Math.round(bitmap.height * scale));
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      blob = await canvas.convertToBlob({type: "image/jpeg", quality: q});
      if (blob.size <= budget) break;
      blob = null;
      if (q - 0.1 >= minQuality - 1e-9) q -= 0.1;
      else size = Math.round(size * 0.85);
    }
    self.postMessage({id, blob});
  } catch (error) {
    self.postMessage({id, failed: String(error)});
  } finally {
    bitmap.close();
  }
};

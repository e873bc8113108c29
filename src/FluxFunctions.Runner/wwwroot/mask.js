// The Fill mask: a canvas at the image's own resolution over the displayed image. Strokes are painted (or erased)
// with a round brush whose size is given in screen pixels; the exported mask is black with white where painted
// (white = regenerate), the convention of SPEC §1.

export class MaskPainter {
  constructor(canvas, image) {
    this.canvas = canvas;
    this.image = image;
    this.context = canvas.getContext("2d");
    this.size = 40;
    this.erasing = false;
    this.enabled = false;
    this.painted = false;
    this.last = null;
    canvas.addEventListener("pointerdown", (e) => this.#down(e));
    canvas.addEventListener("pointermove", (e) => this.#move(e));
    canvas.addEventListener("pointerup", (e) => this.#up(e));
    canvas.addEventListener("pointercancel", (e) => this.#up(e));
    new ResizeObserver(() => this.fit()).observe(image);
  }

  /** Sizes the canvas to the image's pixels (clearing it) and places it over the displayed image. */
  reset() {
    this.canvas.width = this.image.naturalWidth;
    this.canvas.height = this.image.naturalHeight;
    this.clear();
    this.fit();
  }

  /** Keeps the canvas exactly over the displayed image. */
  fit() {
    const box = this.image.getBoundingClientRect();
    const parent = this.canvas.parentElement.getBoundingClientRect();
    Object.assign(this.canvas.style, {
      left: `${box.left - parent.left}px`,
      top: `${box.top - parent.top}px`,
      width: `${box.width}px`,
      height: `${box.height}px`,
    });
  }

  clear() {
    this.context.clearRect(0, 0, this.canvas.width, this.canvas.height);
    this.painted = false;
    this.canvas.dispatchEvent(new Event("maskchange"));
  }

  /** Whether anything is painted (any pixel left after erasing). */
  hasPaint() {
    if (!this.painted || this.canvas.width === 0) {
      return false;
    }

    const data = this.context.getImageData(0, 0, this.canvas.width, this.canvas.height).data;
    for (let i = 3; i < data.length; i += 4) {
      if (data[i] !== 0) {
        return true;
      }
    }

    return false;
  }

  /** The mask as a PNG Blob: black, white where painted, at the image's resolution. */
  toBlob() {
    const { width, height } = this.canvas;
    const white = document.createElement("canvas");
    white.width = width;
    white.height = height;
    const w = white.getContext("2d");
    w.drawImage(this.canvas, 0, 0);
    w.globalCompositeOperation = "source-in";
    w.fillStyle = "#fff";
    w.fillRect(0, 0, width, height);

    const mask = document.createElement("canvas");
    mask.width = width;
    mask.height = height;
    const m = mask.getContext("2d");
    m.fillStyle = "#000";
    m.fillRect(0, 0, width, height);
    m.drawImage(white, 0, 0);
    return new Promise((resolve) => mask.toBlob(resolve, "image/png"));
  }

  #point(e) {
    const box = this.canvas.getBoundingClientRect();
    const scale = this.canvas.width / box.width;
    return { x: (e.clientX - box.left) * scale, y: (e.clientY - box.top) * scale, scale };
  }

  #down(e) {
    if (!this.enabled || e.button !== 0) {
      return;
    }

    this.canvas.setPointerCapture(e.pointerId);
    this.last = this.#point(e);
    this.#stroke(this.last, this.last);
  }

  #move(e) {
    if (this.last === null) {
      return;
    }

    const point = this.#point(e);
    this.#stroke(this.last, point);
    this.last = point;
  }

  #up(e) {
    if (this.last !== null) {
      this.last = null;
      if (this.canvas.hasPointerCapture(e.pointerId)) {
        this.canvas.releasePointerCapture(e.pointerId);
      }

      this.canvas.dispatchEvent(new Event("maskchange"));
    }
  }

  #stroke(from, to) {
    const c = this.context;
    c.save();
    c.globalCompositeOperation = this.erasing ? "destination-out" : "source-over";
    c.strokeStyle = "#ff2d55";
    c.fillStyle = "#ff2d55";
    c.lineWidth = this.size * to.scale;
    c.lineCap = "round";
    c.lineJoin = "round";
    c.beginPath();
    if (from.x === to.x && from.y === to.y) {
      c.arc(to.x, to.y, c.lineWidth / 2, 0, Math.PI * 2);
      c.fill();
    } else {
      c.moveTo(from.x, from.y);
      c.lineTo(to.x, to.y);
      c.stroke();
    }

    c.restore();
    if (!this.erasing) {
      this.painted = true;
    }
  }
}

"""Draw Peerpath's app icon (two people joined by a path, on the brand ink) in the sizes the web
app manifest, the favicon and home screens need. Run from the repository root; commit the PNGs."""

from PIL import Image, ImageDraw

INK = (29, 36, 48)
ACCENT = (11, 92, 173)
LIGHT = (255, 191, 71)
WHITE = (255, 255, 255)
OUT = "peerpath/core/static/core/icons/"


def draw(size: int, maskable: bool = False) -> Image.Image:
    scale = size / 512
    pad = 0.1 if maskable else 0  # maskable icons keep their drawing inside the safe zone

    def at(value: float) -> int:
        return int((value * (1 - 2 * pad) + 512 * pad) * scale)

    if maskable:
        img = Image.new("RGBA", (size, size), (*INK, 255))
        pen = ImageDraw.Draw(img)
    else:
        img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
        pen = ImageDraw.Draw(img)
        pen.rounded_rectangle([0, 0, size - 1, size - 1], radius=int(96 * scale), fill=(*INK, 255))
    pen.line([(at(130), at(380)), (at(256), at(256)), (at(382), at(132))], fill=ACCENT,
             width=max(2, int(56 * scale * (1 - 2 * pad))))
    radius = 62
    pen.ellipse([at(130 - radius), at(380 - radius), at(130 + radius), at(380 + radius)], fill=WHITE)
    pen.ellipse([at(382 - radius), at(132 - radius), at(382 + radius), at(132 + radius)], fill=LIGHT)
    return img


if __name__ == "__main__":
    for n in (192, 512):
        draw(n).save(f"{OUT}icon-{n}.png", optimize=True)
        draw(n, maskable=True).save(f"{OUT}icon-maskable-{n}.png", optimize=True)
    draw(180, maskable=True).save(f"{OUT}apple-touch-icon.png", optimize=True)
    draw(256).save(f"{OUT}favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])
    draw(32).save(f"{OUT}favicon-32.png", optimize=True)

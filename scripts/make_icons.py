"""Draw Peerpath's app icon: two overlapping path dots on the brand ink, in several sizes."""
from PIL import Image, ImageDraw
INK = (29, 36, 48); ACCENT = (11, 92, 173); LIGHT = (255, 191, 71); WHITE = (255, 255, 255)
def draw(size, maskable=False):
    img = Image.new("RGBA", (size, size), INK + (255,))
    d = ImageDraw.Draw(img)
    s = size / 512
    pad = 0.1 if maskable else 0
    def sc(v): return int((v * (1 - 2 * pad) + 512 * pad) * s)
    if not maskable:
        img = Image.new("RGBA", (size, size), (0, 0, 0, 0)); d = ImageDraw.Draw(img)
        d.rounded_rectangle([0, 0, size - 1, size - 1], radius=int(96 * s), fill=INK + (255,))
    # a path: a curved road between two people (circles)
    d.line([(sc(130), sc(380)), (sc(256), sc(256)), (sc(382), sc(132))], fill=ACCENT, width=max(2, int(56 * s * (1 - 2 * pad))))
    r = 62
    d.ellipse([sc(130 - r), sc(380 - r), sc(130 + r), sc(380 + r)], fill=WHITE)
    d.ellipse([sc(382 - r), sc(132 - r), sc(382 + r), sc(132 + r)], fill=LIGHT)
    return img
out = "peerpath/core/static/core/icons/"
for n in (192, 512):
    draw(n).save(f"{out}icon-{n}.png", optimize=True)
    draw(n, maskable=True).save(f"{out}icon-maskable-{n}.png", optimize=True)
draw(180).convert("RGB").save(f"{out}apple-touch-icon.png", optimize=True) if False else draw(180, maskable=True).save(f"{out}apple-touch-icon.png", optimize=True)
draw(256).save(f"{out}favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])
draw(32).save(f"{out}favicon-32.png", optimize=True)

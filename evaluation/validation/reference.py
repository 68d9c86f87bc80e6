"""Reference saliency maps from OpenCV, to validate crepo-evaluation's own.

    reference.py OUT_DIR WxH:PATH [WxH:PATH ...]
    reference.py --skimage-data-dir

For the N-th (from 0) image, computes OpenCV's spectral residual saliency
(cv2.saliency.StaticSaliencySpectralResidual, Hou & Zhang 2007) with its
working size set to W x H, the size crepo-evaluation computes at (OpenCV's
default is a fixed 64 x 64, which would distort the aspect). OpenCV returns
the map resized (bilinearly) to the image's own size; it is written as
OUT_DIR/N.f32 (32-bit floats, little-endian, row-major) with OUT_DIR/N.txt
holding "width height".

--skimage-data-dir prints the folder of the sample images that ship inside
the scikit-image package (no download).
"""

import os
import sys

import cv2
import numpy as np


def reference(spec: str):
    size, path = spec.split(":", 1)
    width, height = (int(v) for v in size.split("x"))
    image = cv2.imread(path, cv2.IMREAD_COLOR)
    if image is None:
        raise SystemExit(f"cannot read {path}")
    model = cv2.saliency.StaticSaliencySpectralResidual_create()
    model.setImageWidth(width)
    model.setImageHeight(height)
    ok, saliency = model.computeSaliency(image)
    if not ok:
        raise SystemExit(f"OpenCV failed on {path}")
    return saliency.astype("<f4")


def main(argv):
    if argv[1:] == ["--skimage-data-dir"]:
        import skimage.data

        print(os.path.dirname(skimage.data.__file__))
        return
    if len(argv) < 3:
        raise SystemExit(__doc__)
    out = argv[1]
    os.makedirs(out, exist_ok=True)
    for n, spec in enumerate(argv[2:]):
        saliency = reference(spec)
        saliency.tofile(os.path.join(out, f"{n}.f32"))
        with open(os.path.join(out, f"{n}.txt"), "w") as f:
            f.write(f"{saliency.shape[1]} {saliency.shape[0]}\n")


if __name__ == "__main__":
    main(sys.argv)

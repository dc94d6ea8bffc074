#@ File image
# BF.openImagePlus in Fiji Python (Jython style). Lines of results start with "bf: ".
from ij import IJ
from loci.plugins import BF

imps = BF.openImagePlus(image.getAbsolutePath())
imp = imps[0]
width, height, channels, slices, frames = imp.getDimensions()
print("bf: %s %dx%d c=%d z=%d t=%d %d-bit" % (imp.getTitle(), width, height, channels, slices, frames,
                                               imp.getBitDepth()))
print("bf: display range " + IJ.d2s(imp.getDisplayRangeMin(), 4) + " " + IJ.d2s(imp.getDisplayRangeMax(), 4))
cal = imp.getCalibration()
print("bf: voxel " + IJ.d2s(cal.pixelWidth, 4) + " " + IJ.d2s(cal.pixelHeight, 4) + " " + cal.getUnits())
stack = imp.getStack()
for i in range(1, stack.getSize() + 1):
    ip = stack.getProcessor(i)
    total = sum(ip.getPixel(x, y) for y in range(0, ip.getHeight(), 7) for x in range(0, ip.getWidth(), 5))
    print("bf: plane %d %s sum %s" % (i, stack.getSliceLabel(i), IJ.d2s(total, 0)))
print("bf: images %d" % len(imps))

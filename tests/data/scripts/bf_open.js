// BF.openImagePlus in ImageJ JavaScript (Fiji's way to open what ImageJ's DICOM reader refuses).
// Argument: the image path. Lines of results start with "bf: ".
importClass(Packages.loci.plugins.BF);
var imps = BF.openImagePlus(getArgument());
var imp = imps[0];
var dims = imp.getDimensions();
print("bf: " + imp.getTitle() + " " + dims[0] + "x" + dims[1] + " c=" + dims[2] + " z=" + dims[3] + " t=" + dims[4] + " " + imp.getBitDepth() + "-bit");
print("bf: display range " + IJ.d2s(imp.getDisplayRangeMin(), 4) + " " + IJ.d2s(imp.getDisplayRangeMax(), 4));
var cal = imp.getCalibration();
print("bf: voxel " + IJ.d2s(cal.pixelWidth, 4) + " " + IJ.d2s(cal.pixelHeight, 4) + " " + cal.getUnits());
var stack = imp.getStack();
for (var i = 1; i <= stack.getSize(); i++) {
    var ip = stack.getProcessor(i);
    var sum = 0;
    for (var y = 0; y < ip.getHeight(); y += 7)
        for (var x = 0; x < ip.getWidth(); x += 5)
            sum += ip.getPixel(x, y);
    print("bf: plane " + i + " " + stack.getSliceLabel(i) + " sum " + IJ.d2s(sum, 0));
}
print("bf: images " + imps.length);

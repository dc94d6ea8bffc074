// Open a DICOM file with the Bio-Formats importer, as the macro recorder writes it, and print
// what a script reads of it. Argument: the image path. Lines of results start with "bf: ".
run("Bio-Formats Importer", "open=[" + getArgument() + "] autoscale color_mode=Default view=Hyperstack stack_order=XYCZT");
Stack.getDimensions(width, height, channels, slices, frames);
print("bf: " + getTitle() + " " + width + "x" + height + " c=" + channels + " z=" + slices + " t=" + frames + " " + bitDepth() + "-bit");
getMinAndMax(low, high);
print("bf: display range " + d2s(low, 4) + " " + d2s(high, 4));
getVoxelSize(pw, ph, pd, unit);
print("bf: voxel " + d2s(pw, 4) + " " + d2s(ph, 4) + " " + unit);
for (i = 1; i <= nSlices; i++) {
    setSlice(i);
    sum = 0;
    for (y = 0; y < getHeight(); y += 7)
        for (x = 0; x < getWidth(); x += 5)
            sum += getPixel(x, y);
    print("bf: plane " + i + " " + getInfo("slice.label") + " sum " + d2s(sum, 0));
}
print("bf: images " + nImages);

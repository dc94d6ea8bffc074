// A batch macro: measure the same square in every DICOM file of a folder. Argument: the folder.
dir = getArgument();
if (!endsWith(dir, "/")) dir = dir + "/";
setBatchMode(true);
list = getFileList(dir);
run("Set Measurements...", "area mean min redirect=None decimal=3");
count = 0;
for (i = 0; i < list.length; i++) {
    if (!endsWith(list[i], ".dcm"))
        continue;
    open(dir + list[i]);
    makeRectangle(10, 10, 20, 20);
    run("Measure");
    print(getTitle() + ": mean " + getResult("Mean", nResults - 1) + ", min " + getResult("Min", nResults - 1));
    count++;
    close();
}
print(count + " files measured");

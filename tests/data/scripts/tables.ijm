// Tables besides Results: create, fill, read, save, rename, reset; the Results table renamed.
// Argument: "<image path> <output folder>".
args = split(getArgument(), " ");
dir = args[1] + File.separator;
run("Clear Results");
Table.create("Counts");
for (i = 0; i < 5; i++) {
    Table.set("Slice", i, i + 1);
    Table.set("Area", i, 10.5 * (i + 1));
    Table.set("Name", i, "roi" + i);
}
Table.update;
print("Counts: " + Table.size + " rows, title " + Table.title);
print("Headings: " + Table.headings);
print("Area[2] " + Table.get("Area", 2) + ", Name[3] " + Table.getString("Name", 3));
Table.save(dir + "counts.csv");
Table.rename("Counts", "Areas");
print("Areas open " + isOpen("Areas") + ", Counts open " + isOpen("Counts") + ", rows " + Table.size("Areas"));
Table.create("Second");
Table.set("x", 0, 3.25, "Second");
Table.set("x", 1, -1, "Second");
Table.set("Area", 5, 99, "Areas");
print("Sizes: Areas " + Table.size("Areas") + ", Second " + Table.size("Second"));
print("Areas.Area[5] " + Table.get("Area", 5, "Areas") + ", Second.x[0] " + Table.get("x", 0, "Second"));
Table.save(dir + "areas.csv", "Areas");
Table.reset("Areas");
print("Areas after reset: " + Table.size("Areas") + " rows");
open(args[0]);
run("Set Measurements...", "area mean min redirect=None decimal=3");
makeOval(32, 32, 64, 64);
run("Measure");
makeRectangle(10, 10, 20, 20);
run("Measure");
IJ.renameResults("Second", "Renamed");
print("Second open " + isOpen("Second") + ", Renamed rows " + Table.size("Renamed") + ", x[1] " + Table.get("x", 1, "Renamed"));
Table.save(dir + "renamed.csv", "Renamed");
saveAs("Results", dir + "results.csv");
titles = getList("window.titles");
Array.sort(titles);
for (i = 0; i < titles.length; i++)
    print("Window: " + titles[i]);

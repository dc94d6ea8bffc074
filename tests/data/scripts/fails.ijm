// Fails on purpose: a command ImageJ does not have.
print("before");
newImage("blank", "8-bit black", 16, 16, 1);
run("Enhance Contrast Harder", "saturated=0.35");
print("never printed");

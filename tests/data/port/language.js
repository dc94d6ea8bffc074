// ImageJ JavaScript without images: concatenation, numbers, control flow, functions.
var total = 0;
function add(n) {
    total = total + n;
    return n / 3;
}
print("a" + 1 / 3);
print("from a function: " + add(1) + " " + null + " " + true);
var values = [3, 1, 2.5, 10];
for (var i = 0; i < values.length; i++) {
    if (values[i] == 1) {
        continue;
    } else if (values[i] > 5) {
        print("big at " + i);
        break;
    } else {
        add(values[i]);
    }
}
print("total " + total + " i=" + i);
var n = 0;
while (n < 3) n++;
do { n -= 2; } while (n > 0);
print(n);
print(-7 % 3);
print(Math.round(-2.5) + " " + Math.floor(2.7) + " " + Math.max(2, 7) + " " + Math.sqrt(2));
var s = "Hello World";
print(s.substring(6) + " " + s.indexOf("o") + " " + s.toUpperCase() + " " + s.length);
print(IJ.d2s(1 / 3, 2) + " " + IJ.pad(7, 3) + " " + 1e-7 + " " + 2.0 + " " + 0.1 * 3);
print(1 + 2 + "a" + 1 + 2);
var big = (n < 0) ? "negative" : "not negative";
print(big);

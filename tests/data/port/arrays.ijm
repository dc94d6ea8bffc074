// The macro's Array functions bridge ports.
a = Array.getSequence(6);
Array.print(a);
b = Array.slice(a, 2, 4);
Array.print(b);
c = Array.slice(a, 3);
Array.print(c);
d = Array.trim(a, 2);
Array.print(d);
e = newArray(3);
Array.fill(e, 1.5);
Array.print(e);
f = Array.concat(d, 9, newArray("x"));
Array.print("f", f);
s = newArray("b", "A", "c");
Array.sort(s);
Array.print(s);
Array.reverse(s);
Array.print(s);

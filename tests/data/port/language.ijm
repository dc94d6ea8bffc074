// The macro language without images: numbers in text, strings, arrays, control flow, functions.
var total = 0;

function add(n) {
    total = total + n;   // a var global, shared with the function
    return n / 3;
}

macro "Language" {
    print("a" + 1/3, 2.0, 1e-5, 123456789.5, -0.5);
    print("big " + 1e10 + " small " + 0.1 + " " + 1234567.891);
    print("from a function: " + add(1));
    s = "ABC";
    if (s == "abc") print("compared ignoring case");
    else print("case matters");
    values = newArray(3, 1, 2.5, 10);
    for (i = 0; i < values.length; i++) {
        if (values[i] == 1)
            continue;
        else if (values[i] > 5) {
            print("big at " + i);
            break;
        } else
            add(values[i]);
    }
    print("total " + total + " i=" + i);
    n = 0;
    while (n < 3) n++;
    do { n = n - 2; } while (n > 0);
    print("n " + n, -7 % 3, round(-2.5), round(2.5), floor(-1.5));
    words = split("a,,b", ",");
    tokens = split(" x  y ", " ");
    print(lengthOf(words) + " words, " + tokens.length + " tokens");
    print(parseInt("12") + 1, parseInt("x"), parseFloat("1.5e2"), d2s(1/3, 2), toString(2/3));
    Array.getStatistics(values, low, high, mean);
    print("min " + low + " max " + high + " mean " + mean);
    Array.sort(values);
    Array.print(values);
    t = "Hello World";
    print(substring(t, 6), indexOf(t, "o"), toUpperCase(t), startsWith(t, "Hell"), t.length);
    squares = newArray(4);
    for (k = 0; k < squares.length; k++) squares[k] = k * k;
    Array.print(squares);
    both = 3 > 2 && 2 > 1;
    print(true, !false, both, maxOf(2, 7), abs(-3), sqrt(2), PI);
    Array.print("squares:", squares);
}

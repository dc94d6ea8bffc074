package bridge.companion;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * System.out for a script: its log lines in one buffer, Java stack traces in another.
 *
 * <p>Without an ImageJ window, ImageJ logs to System.out, and that includes the stack
 * trace of any exception a command throws ({@code Executer} logs it).  A script's
 * output must hold only what the script printed, so a logged text that is a stack
 * trace (a first line, then "\tat " lines) goes to {@link #errors}.
 */
final class SplitOut extends PrintStream {

    private static final Pattern STACK_TRACE = Pattern.compile("(?s)[^\\n]*(Exception|Error)[^\\n]*\\n\\s*at .*");

    private final OutputStream errors;

    private SplitOut(OutputStream output, OutputStream errors) {
        super(output, true, StandardCharsets.UTF_8);
        this.errors = errors;
    }

    static SplitOut create(OutputStream output, OutputStream errors) {
        return new SplitOut(output, errors);
    }

    /** Keeps stack traces off the process's stdout from now on: they go to stderr (for Python scripts). */
    static synchronized void install() {
        if (!(System.out instanceof SplitOut)) {
            System.setOut(create(new java.io.FileOutputStream(java.io.FileDescriptor.out), System.err));
        }
    }

    @Override
    public void println(String text) {
        if (text != null && STACK_TRACE.matcher(text).matches()) {
            byte[] bytes = (text + "\n").getBytes(StandardCharsets.UTF_8);
            synchronized (errors) {
                try {
                    errors.write(bytes);
                    errors.flush();
                } catch (java.io.IOException e) {
                    setError();
                }
            }
            return;
        }
        super.println(text);
    }

    @Override
    public void println(Object value) {
        println(String.valueOf(value));
    }
}

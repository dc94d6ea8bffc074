package bridge.companion;

import ij.WindowManager;
import ij.macro.Interpreter;

/**
 * Runs an ImageJ macro headless through ImageJ's own {@code Interpreter}.
 *
 * <p>{@code Interpreter.run(macro, arg)} switches to batch mode when there is no ImageJ
 * window, so images the macro opens stay off screen.  {@link CommandTable} lets
 * {@code open(path)} run without a menu bar.  A macro error makes the interpreter build an
 * error dialog, which fails headless; the message and line it recorded first are returned
 * instead.  Images the macro left open are released afterwards, so every run starts
 * with none, as a fresh ImageJ would.
 */
final class MacroRunner {

    private MacroRunner() {
    }

    static ScriptResult run(String source, String name, String arg) {
        CommandTable.install();
        Interpreter interp = new Interpreter();
        QuietOut.Captured<Object> run = QuietOut.capture(() -> execute(interp, source, arg));
        try {
            String message = interp.getErrorMessage();
            if (message != null) {
                return ScriptResult.failed(run.text, name, lineOf(interp), message);
            }
            if (run.value instanceof Throwable) {
                Throwable e = (Throwable) run.value;
                return ScriptResult.failed(run.text, name, -1, e.getClass().getName() + ": " + e.getMessage());
            }
            return ScriptResult.ok(run.text, (String) run.value);
        } finally {
            releaseImages();
        }
    }

    /** The macro's return value, or the Throwable that escaped the interpreter. */
    private static Object execute(Interpreter interp, String source, String arg) {
        try {
            return interp.run(source, arg);
        } catch (Throwable e) { // HeadlessException from the error dialog, or a Java error
            return e;
        }
    }

    private static int lineOf(Interpreter interp) {
        try {
            return interp.getLineNumber();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private static void releaseImages() {
        for (int id : Interpreter.getBatchModeImageIDs()) {
            Interpreter.removeBatchModeImage(WindowManager.getImage(id));
        }
        Interpreter.batchMode = false;
        WindowManager.setTempCurrentImage(null);
    }
}

package bridge.companion;

import ij.plugin.frame.Editor;
import org.mozilla.javascript.BaseFunction;
import org.mozilla.javascript.Context;
import org.mozilla.javascript.ImporterTopLevel;
import org.mozilla.javascript.RhinoException;
import org.mozilla.javascript.Scriptable;
import org.mozilla.javascript.ScriptableObject;
import org.mozilla.javascript.Undefined;

/**
 * Runs ImageJ JavaScript with Rhino, as ImageJ's Macro_Runner would.
 *
 * <p>ImageJ asks the JDK for an "ECMAScript" engine; JDK 17 has none and Debian's Rhino does
 * not register that name, so this class drives Rhino directly: an {@code ImporterTopLevel}
 * scope (for {@code importClass(Packages...)}), ImageJ's own script prefix (its package
 * imports and {@code print(s)} = {@code IJ.log(s)}), and {@code getArgument()}.  Headless,
 * IJ.log writes to System.out, which is captured as the script's output.  Script errors of
 * any kind come back as a {@link ScriptResult} naming the file and line.
 */
final class JavaScriptRunner {

    private JavaScriptRunner() {
    }

    static ScriptResult run(String source, String name, String[] args, boolean fresh) {
        Session.prepare();
        if (fresh) {
            Session.reset();
        }
        String argument = String.join(" ", args);
        QuietOut.Captured<ScriptResult> run = QuietOut.capture(() -> evaluate(source, name, argument));
        ScriptResult result = run.value;
        ScriptResult outcome = result.failed()
                ? ScriptResult.failed(run.text, result.errorFile, result.errorLine, result.errorMessage)
                : ScriptResult.ok(run.text, result.value);
        return outcome.withStackTraces(run.stackTraces);
    }

    /** Evaluates the script; the returned result's output is filled in by {@link #run}. */
    private static ScriptResult evaluate(String source, String name, String argument) {
        Context cx = Context.enter();
        try {
            cx.setLanguageVersion(Context.VERSION_ES6);
            cx.setOptimizationLevel(-1); // interpreted: no class generation, quick for short scripts
            ImporterTopLevel scope = new ImporterTopLevel(cx);
            cx.evaluateString(scope, Editor.JavaScriptIncludes, "<imagej-prefix>", 1, null);
            ScriptableObject.putProperty(scope, "getArgument", new Constant(argument));
            Object value = cx.evaluateString(scope, source, name, 1, null);
            boolean none = value == null || value instanceof Undefined;
            return ScriptResult.ok("", none ? null : Context.toString(value));
        } catch (RhinoException e) {
            return ScriptResult.failed("", e.sourceName() == null ? name : e.sourceName(),
                    e.lineNumber() > 0 ? e.lineNumber() : -1, e.details());
        } catch (RuntimeException | LinkageError e) {
            return ScriptResult.failed("", name, -1, e.getClass().getName() + ": " + e.getMessage());
        } finally {
            Context.exit();
        }
    }

    /** A JavaScript function that returns a fixed string ({@code getArgument()}). */
    private static final class Constant extends BaseFunction {
        private static final long serialVersionUID = 1L;
        private final String text;

        Constant(String text) {
            this.text = text;
        }

        @Override
        public Object call(Context cx, Scriptable scope, Scriptable thisObj, Object[] args) {
            return text;
        }
    }
}

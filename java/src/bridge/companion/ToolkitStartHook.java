package bridge.companion;

/**
 * Installs {@link DialogGuard} as AWT's toolkit starts, before any window can open.
 *
 * <p>AWT loads the classes named by {@code javax.accessibility.assistive_technologies} inside
 * {@code Toolkit.getDefaultToolkit()}, once the toolkit exists and before that call returns to
 * anyone, which is how accessibility tools watch every window.  Bridge's JVM names this class
 * there (when it has a display), so the guard is in place whoever starts AWT, and a script that
 * never draws (a macro that only prints) never starts AWT, nor bridge's display, for it.
 */
public final class ToolkitStartHook {

    /** Called by AWT (the class must be public, with a public no-argument constructor). */
    public ToolkitStartHook() {
        DialogGuard.install();
    }
}

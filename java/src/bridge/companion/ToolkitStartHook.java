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

    private static final String PROPERTY = "javax.accessibility.assistive_technologies";

    /** Called by AWT (the class must be public, with a public no-argument constructor). */
    public ToolkitStartHook() {
        DialogGuard.install();
    }

    /** Whether this JVM names the hook, so that AWT installs the guard as it starts (bridge's JVMs do). */
    static boolean named() {
        String names = System.getProperty(PROPERTY);
        return names != null && names.contains(ToolkitStartHook.class.getName());
    }
}

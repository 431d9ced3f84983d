/// Why the pages' numbers moved since the previous version of the toolkit: each note states a changed
/// definition and what it does to the numbers, and the pages that report the metric carry it.
enum ChangeNotes {
    static let previousVersion = "0.3.0"

    /// On-mode, spurious and MMD^2 (the metrics issue).
    static let metrics = [
        "On-mode and spurious are decided by the chi-square(d) quantile at q = 0.999 (a sample is on mode k when its squared "
            + "Mahalanobis distance to k is below it, counted once for the nearer mode), no longer by a fixed Mahalanobis radius 3. "
            + "In 1D the window grows from 3 to 3.29 standard deviations and in 2D from radius 3 to 3.72, so on-mode masses rise "
            + "slightly, spurious fractions fall (exact samples: 0.001 in any dimension) and std ratios of exact samples move closer to 1.",
        "MMD^2 is the unbiased U-statistic over all pairs of up to 2,000 samples against as many exact ideal samples (median-heuristic "
            + "bandwidth), with a standard error and a z-score, no longer a pair estimator with a fixed bandwidth: its values and "
            + "errors changed everywhere, and it now resolves differences the old estimator's noise hid.",
        "A mode without samples has no mean or std (shown as -, null in JSON), and a std ratio needs two samples: no value is 0 for want of data.",
    ]

    /// The controls added to the pages (the fair-baselines issue).
    static let controls = "The page now runs the controls that attribute W2SD's effect (self-reflection: the inversion bias alone; "
        + "w2sd-corrected and exact inversion: W2SD without it) and states each finding with its n and interval; conclusions "
        + "that rested on W2SD's change alone were rewritten from them."

    /// The learned-models page rebuilt (the learned-pairs issue).
    static let learnedModels = "Learned models: the strong recipes now train on batches of 1024 with ln sigma of std 1.6 and keep the "
        + "moving average of the parameters (W1 within 1.2 of the exact ideal score's), the checkpoint weak model is the strong run "
        + "stopped at a tenth of its steps, a displaced-mode recipe was added, and every model is trained with five seeds: the page "
        + "reports means and paired differences with 95% intervals over the training seeds, and losses on one held-out set per toy, "
        + "where it used to show one training seed."
}

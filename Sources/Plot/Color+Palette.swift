/// The categorical palette of Okabe & Ito (2008), chosen to stay distinguishable for the common
/// forms of colour blindness. Pick colours by name or by index so that one method keeps one colour
/// across every panel of every figure.
extension Color {
    public static let blue = Color(hex: 0x0072B2)
    public static let orange = Color(hex: 0xE69F00)
    public static let green = Color(hex: 0x009E73)
    public static let vermillion = Color(hex: 0xD55E00)
    public static let purple = Color(hex: 0xCC79A7)
    public static let skyBlue = Color(hex: 0x56B4E9)
    public static let nearBlack = Color(hex: 0x333333)
    public static let yellow = Color(hex: 0xF0E442)

    /// The 8 categorical colours in order of decreasing contrast against white.
    public static let palette: [Color] = [.blue, .orange, .green, .vermillion, .purple, .skyBlue, .nearBlack, .yellow]

    /// The categorical colour at `index`, wrapping around (negative indices wrap too).
    public static func categorical(_ index: Int) -> Color {
        let count = palette.count
        return palette[((index % count) + count) % count]
    }
}

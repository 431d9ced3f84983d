import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// True when Foundation's XMLParser accepts `text` as a well-formed document.
func isWellFormedXML(_ text: String) -> Bool {
    XMLParser(data: Data(text.utf8)).parse()
}

/// How a gallery's templates are searched.
public enum SearchIndexKind: String, CaseIterable, Sendable {
    /// One matrix product over every template (``TemplateIndex``): exact, and fast enough below
    /// ``automaticExactLimit`` templates.
    case exact
    /// FAISS's exhaustive inner-product index: exact too, FAISS's kernels.
    case flat
    /// FAISS IVF-flat: k-means cells, a query scans `nprobe` of them; approximate.
    case ivf
    /// FAISS HNSW-flat: a navigable small-world graph; approximate.
    case hnsw

    /// The largest gallery searched exactly when no kind is named (the measurements behind it:
    /// docs/experiments/gallery-search.md).
    public static let automaticExactLimit = 250_000

    /// The kind used for `templates` templates when none is named: exact up to ``automaticExactLimit``, HNSW above.
    public static func automatic(templates: Int) -> SearchIndexKind {
        templates <= automaticExactLimit ? .exact : .hnsw
    }
}

/// The FAISS kinds' tuning; a value left nil is derived from the gallery's size.
public struct SearchIndexParameters: Sendable, Equatable {
    /// IVF cells; default √N (at least 1).
    public var nlist: Int?
    /// IVF cells scanned per query; default nlist/16, at least 1.
    public var nprobe: Int?
    /// HNSW links per node.
    public var m = 16
    /// HNSW candidates kept while inserting.
    public var efConstruction = 40
    /// HNSW candidates kept while searching (raised to k when k is larger).
    public var efSearch = 64
    /// At most this many templates (an evenly spaced sample) train the IVF k-means; FAISS itself samples
    /// 256 per cell.
    public var trainingSampleLimit = 100_000

    public init(nlist: Int? = nil, nprobe: Int? = nil, m: Int = 16, efConstruction: Int = 40, efSearch: Int = 64) {
        self.nlist = nlist
        self.nprobe = nprobe
        self.m = m
        self.efConstruction = efConstruction
        self.efSearch = efSearch
    }

    /// The IVF cell count for `templates` templates.
    public func cells(templates: Int) -> Int {
        nlist ?? max(1, Int(Double(templates).squareRoot().rounded()))
    }

    /// The IVF cells scanned per query for `cells` cells.
    public func probes(cells: Int) -> Int {
        nprobe ?? max(1, cells / 16)
    }

    /// Refuses values FAISS cannot use, naming the value.
    public func validate(kind: SearchIndexKind, templates: Int) throws {
        switch kind {
        case .exact, .flat:
            return
        case .ivf:
            let cells = cells(templates: templates)
            guard cells >= 1 else { throw GalleryError("nlist must be at least 1, got \(cells)") }
            guard cells <= templates else {
                throw GalleryError("nlist \(cells) is more IVF cells than the \(templates) templates to train them")
            }
            let probes = probes(cells: cells)
            guard (1...cells).contains(probes) else { throw GalleryError("nprobe must be 1…\(cells) (nlist), got \(probes)") }
            guard trainingSampleLimit >= cells else {
                throw GalleryError("the training sample limit \(trainingSampleLimit) is below nlist \(cells)")
            }
        case .hnsw:
            guard m >= 2 else { throw GalleryError("HNSW M must be at least 2, got \(m)") }
            guard efConstruction >= 1 else { throw GalleryError("HNSW efConstruction must be at least 1, got \(efConstruction)") }
            guard efSearch >= 1 else { throw GalleryError("HNSW efSearch must be at least 1, got \(efSearch)") }
        }
    }
}

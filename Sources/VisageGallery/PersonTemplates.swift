/// One person's templates for a 1:1 check (`visage gallery verify`, the service's `POST /verify`).
extension GalleryStore {
    /// An exact index of the templates of `engine` of the person `name`, or nil when the gallery has no such person.
    ///
    /// Throws ``GalleryError`` when an assigned face lacks a template of `engine` (a half-migrated gallery is not
    /// searched silently) or when the person has no template of it.
    public func personTemplates(named name: String, engine: String) throws -> TemplateIndex? {
        guard let id = try people().first(where: { $0.name == name })?.id else { return nil }
        try requireCoverage(of: engine, assignedOnly: true)
        let templates = try templates(engine: engine, person: id)
        guard !templates.isEmpty else { throw GalleryError("'\(name)' has no face with a template of \(engine)") }
        return try TemplateIndex(engine: engine, templates: templates)
    }
}

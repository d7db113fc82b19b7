import HTTPTypes

extension HTTPFields {
    /// The value of the `name` fields, as `self[name]` reads it (several fields joined by ", "),
    /// without building the joined text when there is only one field: every authenticated
    /// request reads `Authorization` and `Content-Type` (issue 4's profile had the joining
    /// subscript at about 2% of a message's CPU).
    func value(_ name: HTTPField.Name) -> String? {
        var found: String?
        for field in self where field.name == name {
            guard found == nil else { return self[name] }
            found = field.value
        }
        return found
    }
}

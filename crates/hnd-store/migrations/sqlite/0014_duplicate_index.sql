-- Members by province, folded name and birth year: the name search reads
-- it by prefix as before, and bulk loads find people of the same name
-- born the same year (likely duplicates) without visiting every
-- namesake of the province.
DROP INDEX members_name;
CREATE INDEX members_name ON members (province_code, name_folded, birth_year);

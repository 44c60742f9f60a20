/**
 * Names as customers type them and as every channel must keep them (issue 12): letters and marks
 * of any script, apostrophes (straight and typographic), hyphens. Emoji may be dropped, never the
 * letters around them. Shared by the packages' tests so every channel checks the same table.
 */
export const namesAsWritten: ReadonlyArray<{ typed: string; kept: string }> = [
  { typed: 'Zoë 🌸 Ågren', kept: 'Zoë Ågren' },
  { typed: 'Zoë 👩‍👩‍👧 Ågren', kept: 'Zoë Ågren' },
  { typed: 'José Núñez', kept: 'José Núñez' },
  { typed: 'Łukasz Żółć', kept: 'Łukasz Żółć' },
  { typed: 'Nguyễn Thị Minh Khai', kept: 'Nguyễn Thị Minh Khai' },
  { typed: '李雷', kept: '李雷' },
  { typed: "Seán O'Brien-Smith", kept: "Seán O'Brien-Smith" },
  { typed: 'Freja Ærøskøbing', kept: 'Freja Ærøskøbing' },
  { typed: 'François Lefèvre', kept: 'François Lefèvre' },
  { typed: 'Björk Guðmundsdóttir', kept: 'Björk Guðmundsdóttir' },
  { typed: 'Çağla Şahin', kept: 'Çağla Şahin' },
  { typed: 'Antonín Dvořák', kept: 'Antonín Dvořák' },
  { typed: 'Μαρία Παπαδοπούλου', kept: 'Μαρία Παπαδοπούλου' },
  { typed: 'Александр Пушкин', kept: 'Александр Пушкин' },
  { typed: 'محمد علي', kept: 'محمد علي' },
  { typed: 'שרה כהן', kept: 'שרה כהן' },
  { typed: '山田 太郎', kept: '山田 太郎' },
  { typed: '김민준', kept: '김민준' },
  { typed: 'अनन्या शर्मा', kept: 'अनन्या शर्मा' },
  { typed: 'Anaïs D’Souza', kept: 'Anaïs D’Souza' },
  { typed: 'Renée Zellweger-Ñúñez', kept: 'Renée Zellweger-Ñúñez' },
  { typed: 'Søren Kierkegård ✨', kept: 'Søren Kierkegård' },
];
